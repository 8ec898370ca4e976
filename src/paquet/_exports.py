"""The table of ``from paquet import *``: each public name and the module that defines it.

:mod:`paquet` reads it the first time a name is asked for (``paquet.IP``, ``from paquet import
*``), so that ``import paquet`` (and the start-up of ``paquet trace``) does not build it.

>>> from paquet._exports import EXPORTS, STDLIB_MODULES
>>> EXPORTS["IP"], "random" in STDLIB_MODULES
('paquet.layers', True)
"""

from __future__ import annotations

from paquet._lazy import lazy_names

__all__ = ["ALL", "EXPORTS", "STDLIB_MODULES", "attach"]

# Each module's public names (``from paquet import *``), by module: a name is imported from its
# module the first time it is used. A new layer or tool adds its module's line here.
_NAMES_BY_MODULE: dict[str, str] = {
    "collections": "defaultdict deque namedtuple Counter",
    "datetime": "datetime timedelta timezone tzinfo",
    "decimal": "Decimal",
    "functools": "partial reduce",
    "itertools": "zip_longest",
    "paquet.addr": "parse_address parse_network subnet_info same_subnet prefix_for_hosts",
    "paquet.asn1": (
        "ASN1F_BIT_STRING ASN1F_BOOLEAN ASN1F_CHOICE ASN1F_ENUMERATED ASN1F_GENERALIZED_TIME "
        "ASN1F_IA5_STRING ASN1F_INTEGER ASN1F_IPADDRESS ASN1F_NULL ASN1F_OID "
        "ASN1F_PRINTABLE_STRING ASN1F_SEQUENCE ASN1F_SEQUENCE_OF ASN1F_SET ASN1F_SET_OF "
        "ASN1F_STRING ASN1F_TIME_TICKS ASN1F_UTC_TIME ASN1F_UTF8_STRING ASN1_BADTAG "
        "ASN1_BIT_STRING ASN1_BMP_STRING ASN1_BOOLEAN ASN1_COUNTER32 ASN1_COUNTER64 "
        "ASN1_DECODING_ERROR ASN1_ENUMERATED ASN1_GAUGE32 ASN1_GENERALIZED_TIME "
        "ASN1_GENERAL_STRING ASN1_IA5_STRING ASN1_INTEGER ASN1_IPADDRESS ASN1_ISO646_STRING "
        "ASN1_NULL ASN1_NUMERIC_STRING ASN1_OID ASN1_PRINTABLE_STRING ASN1_SEQUENCE ASN1_SET "
        "ASN1_STRING ASN1_T61_STRING ASN1_TIME_TICKS ASN1_UNIVERSAL_STRING ASN1_UTC_TIME "
        "ASN1_UTF8_STRING ASN1_VIDEOTEX_STRING ASN1F_badsequence ASN1F_enum_INTEGER ASN1F_field "
        "ASN1F_optional ASN1Tag ASN1_BadTag_Decoding_Error ASN1_Class ASN1_Class_UNIVERSAL "
        "ASN1_Codecs ASN1_Decoding_Error ASN1_Encoding_Error ASN1_Error ASN1_Object ASN1_Packet "
        "ASN1_force BER_BadTag_Decoding_Error BER_Decoding_Error BER_Encoding_Error BER_Exception "
        "BER_id_dec BER_id_enc BER_len_dec BER_len_enc BER_num_dec BER_num_enc BER_tagging_dec "
        "BER_tagging_enc BERcodec_BIT_STRING BERcodec_BOOLEAN BERcodec_COUNTER32 "
        "BERcodec_COUNTER64 BERcodec_ENUMERATED BERcodec_GAUGE32 BERcodec_IA5_STRING "
        "BERcodec_INTEGER BERcodec_IPADDRESS BERcodec_NULL BERcodec_OID BERcodec_Object "
        "BERcodec_SEQUENCE BERcodec_SET BERcodec_STRING BERcodec_TIME_TICKS"
    ),
    "paquet.asn1.mib": "load_mib",
    "paquet.asn1.rand": "RandASN1Object",
    "paquet.checksums": (
        "internet_checksum incremental_update explain_ipv4_header verify_ipv4_header "
        "verify_ipv4_packet verify_packet ChecksumError"
    ),
    "paquet.consts": (
        "LINUX WINDOWS WINDOWS_XP DARWIN BSD FREEBSD NETBSD OPENBSD SOLARIS IS_64BITS BIG_ENDIAN"
    ),
    "paquet.contribs": "list_contrib",
    "paquet.course.handshake": "TCPHandshake",
    "paquet.crc": "CRC CRCParam CRC_16 CRC_16_CCITT CRC_32 CRC_32_AUTOSAR",
    "paquet.dadict": "DADict DADict_Exception IP_PROTOS TCP_SERVICES UDP_SERVICES fixname",
    "paquet.draw.dump": "PYX",
    "paquet.draw.ladder": "ladder ladder_text ladder_svg ladder_html",
    "paquet.edecimal": "EDecimal",
    "paquet.erf": "rderf wrerf ERFEthernetReader ERFEthernetWriter",
    "paquet.errors": (
        "PaquetError AddressError DecodeError NetworkError PrivilegeError CaptureError LabError "
        "Scapy_Exception CaptureWarning"
    ),
    "paquet.explainer.core": "explain",
    "paquet.explainer.html": "packet_html",
    "paquet.fragments": "fragment overlap_frag defrag defragment",
    "paquet.fragments6": "fragment6 defragment6",
    "paquet.generators": "Gen Net Net6 OID",
    "paquet.lab.core": "Lab",
    "paquet.layers": (
        "Ether Dot1Q ARP IP IPerror IPOption IPOption_NOP IPOption_EOL IPOption_RR IPOption_LSRR "
        "IPOption_SSRR IPOption_Router_Alert IPOption_Security IPOption_Stream_Id "
        "IPOption_MTU_Probe IPOption_MTU_Reply IPOption_Traceroute IPOption_Timestamp "
        "IPOption_Address_Extension IPOption_SDBM ICMP ICMPerror UDP UDPerror TCP TCPerror Raw "
        "Padding dissect IPv6 IPerror6 IPv6ExtHdrHopByHop IPv6ExtHdrRouting IPv6ExtHdrFragment "
        "IPv6ExtHdrDestOpt Pad1 PadN HBHOptUnknown ICMPv6EchoRequest ICMPv6EchoReply "
        "ICMPv6DestUnreach ICMPv6PacketTooBig ICMPv6TimeExceeded ICMPv6ParamProblem ICMPv6ND_NS "
        "ICMPv6ND_NA ICMPv6ND_RS ICMPv6ND_RA ICMPv6NDOptSrcLLAddr ICMPv6NDOptDstLLAddr "
        "ICMPv6NDOptUnknown ICMPv6Unknown CookedLinux CookedLinuxV2 SLL2 MPacketPreamble Loopback "
        "VXLAN Dot3 Dot1AD Dot1AH EtherIP L2TP ERSPAN ERSPAN_I ERSPAN_II ERSPAN_III "
        "ERSPAN_PlatformSpecific"
    ),
    "paquet.layers._tls_extensions": (
        "PSKBinderEntry PSKIdentity Ticket TLS_Ext_Cookie TLS_Ext_EarlyDataIndication "
        "TLS_Ext_EarlyDataIndicationTicket TLS_Ext_PreSharedKey TLS_Ext_PreSharedKey_CH "
        "TLS_Ext_PreSharedKey_SH OCSPStatusRequest ResponderID TLS_Ext_CSR TLS_Ext_NPN "
        "KeyShareEntry ProtocolName ServerName TLS_Ext_ALPN TLS_Ext_ECPointsFormat "
        "TLS_Ext_EncryptThenMAC TLS_Ext_ExtendedMasterSecret TLS_Ext_KeyShare TLS_Ext_KeyShare_CH "
        "TLS_Ext_KeyShare_HRR TLS_Ext_KeyShare_SH TLS_Ext_PSKKeyExchangeModes TLS_Ext_Padding "
        "TLS_Ext_PostHandshakeAuth TLS_Ext_RecordSizeLimit TLS_Ext_RenegotiationInfo "
        "TLS_Ext_ServerName TLS_Ext_SessionTicket TLS_Ext_SignatureAlgorithms "
        "TLS_Ext_SignatureAlgorithmsCert TLS_Ext_SupportedEllipticCurves TLS_Ext_SupportedGroups "
        "TLS_Ext_SupportedPointFormat TLS_Ext_SupportedVersion_CH TLS_Ext_SupportedVersion_SH "
        "TLS_Ext_SupportedVersions TLS_Ext_Unknown extensions_from_bytes"
    ),
    "paquet.layers._tls_handshake": (
        "TLSCertificateStatus TLS13ClientHello TLS13HelloRetryRequest TLS13ServerHello "
        "TLSCertificate TLSCertificateRequest TLSCertificateVerify TLSClientHello "
        "TLSClientKeyExchange TLSEncryptedExtensions TLSFinished TLSHelloRequest "
        "TLSNewSessionTicket TLSServerHello TLSServerHelloDone TLSServerKeyExchange "
        "handshake_class"
    ),
    "paquet.layers._tls_keyexchange": (
        "ClientECDiffieHellmanPublic ServerDHParams ServerECDHNamedCurveParams"
    ),
    "paquet.layers.avs": "AVSWLANHeader",
    "paquet.layers.cdp": (
        "CDPAddrRecord CDPAddrRecordIPv4 CDPAddrRecordIPv6 CDPIPPrefix CDPMsg CDPMsgAddr "
        "CDPMsgCapabilities CDPMsgDeviceID CDPMsgDuplex CDPMsgGeneric CDPMsgIPGateway "
        "CDPMsgIPPrefix CDPMsgMTU CDPMsgMgmtAddr CDPMsgNativeVLAN CDPMsgPlatform CDPMsgPortID "
        "CDPMsgPower CDPMsgPowerAvailable CDPMsgPowerRequest CDPMsgProtoHello "
        "CDPMsgSoftwareVersion CDPMsgTrustBitmap CDPMsgUntrustedPortCoS CDPMsgVTPMgmtDomain "
        "CDPMsgVoIPVLANQuery CDPMsgVoIPVLANReply CDPv2_HDR"
    ),
    "paquet.layers.dhcp": "BOOTP DHCP DHCPOptionsField dhcpmagic",
    "paquet.layers.dhcp6": (
        "DHCP6 DHCP6OptRelayMsg DHCP6_AddrRegInform DHCP6_AddrRegReply DHCP6_Advertise "
        "DHCP6_Confirm DHCP6_Decline DHCP6_InfoRequest DHCP6_Rebind DHCP6_Reconf "
        "DHCP6_RelayForward DHCP6_RelayReply DHCP6_Release DHCP6_Renew DHCP6_Reply DHCP6_Request "
        "DHCP6_Solicit dhcp6_cls_by_type dhcp6types"
    ),
    "paquet.layers.dhcp6_options": (
        "DHCP6OptAuth DHCP6OptClientId DHCP6OptElapsedTime DHCP6OptIAAddress DHCP6OptIA_NA "
        "DHCP6OptIA_TA DHCP6OptIfaceId DHCP6OptOptReq DHCP6OptPref DHCP6OptRapidCommit "
        "DHCP6OptReconfAccept DHCP6OptReconfMsg DHCP6OptServerId DHCP6OptServerUnicast "
        "DHCP6OptStatusCode DHCP6OptUnknown DHCP6OptUserClass DHCP6OptVendorClass "
        "DHCP6OptVendorSpecificInfo DUID_EN DUID_LL DUID_LLT DUID_UUID USER_CLASS_DATA "
        "VENDOR_CLASS_DATA VENDOR_SPECIFIC_OPTION dhcp6opts dhcp6opts_by_code dhcp6statuscodes "
        "duidhwtypes duidtypes"
    ),
    "paquet.layers.dhcp6_options_ext": (
        "DHCP6NTPSubOptMCAddr DHCP6NTPSubOptSrvAddr DHCP6NTPSubOptSrvFQDN DHCP6OptAddrRegEnable "
        "DHCP6OptBCMCSDomains DHCP6OptBCMCSServers DHCP6OptBootFileUrl DHCP6OptCaptivePortal "
        "DHCP6OptClientArchType DHCP6OptClientFQDN DHCP6OptClientLinkLayerAddr "
        "DHCP6OptClientNetworkInterId DHCP6OptDNSDomains DHCP6OptDNSServers DHCP6OptERPDomain "
        "DHCP6OptGeoConf DHCP6OptGeoConfElement DHCP6OptIAPrefix DHCP6OptIA_PD "
        "DHCP6OptInfoRefreshTime DHCP6OptLQClientLink DHCP6OptMudUrl DHCP6OptNISDomain "
        "DHCP6OptNISPDomain DHCP6OptNISPServers DHCP6OptNISServers DHCP6OptNTPServer "
        "DHCP6OptNewPOSIXTimeZone DHCP6OptNewTZDBTimeZone DHCP6OptPanaAuthAgent "
        "DHCP6OptRelayAgentERO DHCP6OptRelaySuppliedOpt DHCP6OptRemoteID DHCP6OptSIPDomains "
        "DHCP6OptSIPServers DHCP6OptSNTPServers DHCP6OptSubscriberID DHCP6OptVSS IRT_DEFAULT "
        "IRT_MINIMUM"
    ),
    "paquet.layers.dhcp_options": (
        "DHCPOptions DHCPRevOptions DHCPTypes RandDHCPOptions ClasslessStaticRoutesField "
        "ClasslessFieldListField RandClasslessStaticRoutesField"
    ),
    "paquet.layers.dns": "DNS DNSQR DNSRR DNSTCP dns_compress dns_encode dns_get_str",
    "paquet.layers.dns_edns0": (
        "EDNS0TLV EDNS0OWN EDNS0DAU EDNS0DHU EDNS0N3U EDNS0ClientSubnet EDNS0COOKIE EDNS0PADDING "
        "EDNS0ExtendedDNSError ClientSubnetv4 ClientSubnetv6 edns0types extended_dns_error_codes "
        "EDNS0OPT_DISPATCHER"
    ),
    "paquet.layers.dns_fields": (
        "DNSCompressedPacket DNSStrField DNSTextField RRlistField RRlist2bitmap bitmap2RRlist "
        "dnstypes dnsqtypes dnsclasses dnssecalgotypes dnssecdigesttypes dnssecnsec3algotypes"
    ),
    "paquet.layers.dns_records": (
        "DNSRROPT DNSRRHINFO DNSRRMX DNSRRSOA DNSRRRSIG DNSRRNSEC DNSRRDNSKEY DNSRRDS DNSRRDLV "
        "DNSRRNSEC3 DNSRRNSEC3PARAM DNSRRSVCB DNSRRHTTPS DNSRRSRV DNSRRTSIG DNSRRNAPTR SvcParam "
        "TimeSignedField svc_param_keys DNSRR_DISPATCHER"
    ),
    "paquet.layers.dot11": (
        "Dot11 Dot11ATIM Dot11Ack Dot11AssoReq Dot11AssoResp Dot11Auth Dot11Beacon Dot11CCMP "
        "Dot11Deauth Dot11Disas Dot11Encrypted Dot11FCS Dot11ProbeReq Dot11ProbeResp Dot11QoS "
        "Dot11ReassoReq Dot11ReassoResp Dot11S1GBeacon Dot11TKIP Dot11WEP"
    ),
    "paquet.layers.dot11_action": (
        "BSSTerminationDuration Dot11BSSTMRequest Dot11BSSTMResponse Dot11CSA "
        "Dot11RadioMeasurement Dot11RadioMeasurementBeaconReport "
        "Dot11RadioMeasurementBeaconRequest Dot11RadioMeasurementReport "
        "Dot11RadioMeasurementRequest Dot11SpectrumManagement Dot11WNM NeighborReport SubelemTLV "
        "Dot11Action"
    ),
    "paquet.layers.dot11_elements": (
        "AKMSuite Dot11Elt Dot11EltCSA Dot11EltCountry Dot11EltCountryConstraintTriplet "
        "Dot11EltDSSSet Dot11EltERP Dot11EltExtension Dot11EltExtensionGeneric "
        "Dot11EltHEOperation Dot11EltHTCapabilities Dot11EltHTOperation Dot11EltMicrosoftWPA "
        "Dot11EltOBSS Dot11EltRSN Dot11EltRates Dot11EltVHTOperation Dot11EltVendorSpecific "
        "Dot11HE6GOperationInfo Dot11VHTOperationInfo PMKIDListPacket RSNCipherSuite"
    ),
    "paquet.layers.dot11_plist": "Dot11PacketList",
    "paquet.layers.dtp": (
        "DTP DTPDomain DTPNeighbor DTPStatus DTPType DtpGenericTlv negotiate_trunk"
    ),
    "paquet.layers.eap": (
        "EAP EAPOL EAPOL_KEY EAP_FAST EAP_MD5 EAP_PEAP EAP_TLS EAP_TTLS LEAP eap_codes eap_types "
        "eapol_types eapol_versions"
    ),
    "paquet.layers.eap_mka": (
        "MACsecSCI MKABasicParamSet MKADistributedCAKParamSet MKADistributedSAKParamSet MKAICVSet "
        "MKALivePeerListParamSet MKAPDU MKAParamSet MKAParamSetPacketListField MKAPeerListTuple "
        "MKAPotentialPeerListParamSet MKASAKUseParamSet"
    ),
    "paquet.layers.ether": "ETHER_TYPES",
    "paquet.layers.geneve": "CLASS_IDS GENEVE GeneveOptions",
    "paquet.layers.gre": "GRE GRE_PPTP GRErouting",
    "paquet.layers.hsrp": "HSRP HSRPAdvertise HSRPv2 HSRPmd5 HSRPv2TextAuth",
    "paquet.layers.http": "HTTP HTTPRequest HTTPResponse http_request",
    "paquet.layers.icmp": "ICMPTimeStampField",
    "paquet.layers.icmp_extensions": (
        "ICMPExtension_Header ICMPExtension_Object ICMPExtension_InterfaceInformation"
    ),
    "paquet.layers.icmpv6_mld": (
        "ICMPv6MLDMultAddrRec ICMPv6MLDone ICMPv6MLQuery ICMPv6MLQuery2 ICMPv6MLReport "
        "ICMPv6MLReport2 ICMPv6MRD_Advertisement ICMPv6MRD_Solicitation ICMPv6MRD_Termination"
    ),
    "paquet.layers.icmpv6_nd": (
        "ICMPv6NDOptAdvInterval ICMPv6NDOptCaptivePortal ICMPv6NDOptDNSSL ICMPv6NDOptEFA "
        "ICMPv6NDOptHAInfo ICMPv6NDOptIPAddr ICMPv6NDOptLLA ICMPv6NDOptMAP ICMPv6NDOptMTU "
        "ICMPv6NDOptNewRtrPrefix ICMPv6NDOptPREF64 ICMPv6NDOptPrefixInfo ICMPv6NDOptRDNSS "
        "ICMPv6NDOptRedirectedHdr ICMPv6NDOptRouteInfo ICMPv6NDOptShortcutLimit "
        "ICMPv6NDOptSrcAddrList ICMPv6NDOptTgtAddrList ICMPv6ND_Redirect"
    ),
    "paquet.layers.icmpv6_ni": (
        "ICMPv6NIQueryNOOP ICMPv6NIQueryName ICMPv6NIQueryIPv6 ICMPv6NIQueryIPv4 "
        "ICMPv6NIReplyNOOP ICMPv6NIReplyName ICMPv6NIReplyIPv6 ICMPv6NIReplyIPv4 "
        "ICMPv6NIReplyRefuse ICMPv6NIReplyUnknown computeNIGroupAddr"
    ),
    "paquet.layers.igmp": (
        "IGMP IGMP_MQ IGMP_MR IGMPv2_LG IGMPv2_MR IGMPv3 IGMPv3_MQ IGMPv3_MR IGMPv3_MR_Group "
        "IGMPv3_MRA IGMPv3_MRS IGMPv3_MRT"
    ),
    "paquet.layers.igmpv3": "IGMPv3mq IGMPv3gr IGMPv3mr IGMPv3mra",
    "paquet.layers.ipv6_options": "RouterAlert RplOption Jumbo HAO",
    "paquet.layers.ipv6_pseudo": "PseudoIPv6",
    "paquet.layers.ipv6_srh": (
        "IPv6ExtHdrSegmentRouting IPv6ExtHdrSegmentRoutingTLV "
        "IPv6ExtHdrSegmentRoutingTLVEgressNode IPv6ExtHdrSegmentRoutingTLVHMAC "
        "IPv6ExtHdrSegmentRoutingTLVIngressNode IPv6ExtHdrSegmentRoutingTLVPad1 "
        "IPv6ExtHdrSegmentRoutingTLVPadN"
    ),
    "paquet.layers.llc": "LLC SNAP",
    "paquet.layers.lldp": (
        "LLDP_ETHER_TYPE LLDP_NEAREST_BRIDGE_MAC LLDP_NEAREST_CUSTOMER_BRIDGE_MAC "
        "LLDP_NEAREST_NON_TPMR_BRIDGE_MAC LLDPDU LLDPDU_CLASS_TYPES LLDPConfiguration "
        "LLDPDUChassisID LLDPDUEndOfLLDPDU LLDPDUGenericOrganisationSpecific "
        "LLDPDUManagementAddress LLDPDUPortDescription LLDPDUPortID LLDPDUSystemCapabilities "
        "LLDPDUSystemDescription LLDPDUSystemName LLDPDUTimeToLive LLDPInvalidFieldValue "
        "LLDPInvalidFrameStructure LLDPInvalidLengthField LLDPInvalidTLVCount "
        "LLDPMissingLowerLayer"
    ),
    "paquet.layers.llmnr": "LLMNRQuery LLMNRResponse",
    "paquet.layers.mgcp": "MGCP",
    "paquet.layers.mip6": (
        "ICMPv6HAADReply ICMPv6HAADRequest ICMPv6MPAdv ICMPv6MPSol MIP6MH_BA MIP6MH_BE MIP6MH_BRR "
        "MIP6MH_BU MIP6MH_CoT MIP6MH_CoTI MIP6MH_Generic MIP6MH_HoT MIP6MH_HoTI MIP6OptAltCoA "
        "MIP6OptBRAdvice MIP6OptBindingAuthData MIP6OptCGAParams MIP6OptCGAParamsReq "
        "MIP6OptCareOfTest MIP6OptCareOfTestInit MIP6OptHomeKeygenToken MIP6OptLLAddr MIP6OptMNID "
        "MIP6OptMobNetPrefix MIP6OptMsgAuth MIP6OptNonceIndices MIP6OptReplayProtection "
        "MIP6OptSignature MIP6OptUnknown"
    ),
    "paquet.layers.mobileip": "MobileIP MobileIPRRQ MobileIPRRP MobileIPTunnelData",
    "paquet.layers.mpls": "ICMPExtension_MPLS MPLS EoMCW",
    "paquet.layers.netbios": (
        "NBNSHeader NBNSNodeStatusRequest NBNSNodeStatusResponse NBNSNodeStatusResponseService "
        "NBNSQueryRequest NBNSQueryResponse NBNSRegistrationRequest NBNSWackResponse "
        "NBNS_ADD_ENTRY NBTDatagram NBTSession NetBIOSNameField NetBIOS_DS"
    ),
    "paquet.layers.netflow": (
        "NetflowDataflowsetV9 NetflowFlowsetV9 NetflowHeader NetflowHeaderV1 NetflowHeaderV5 "
        "NetflowHeaderV9 NetflowHeaderV10 NetflowOptionsFlowset10 NetflowOptionsFlowsetOptionV9 "
        "NetflowOptionsFlowsetScopeV9 NetflowOptionsFlowsetV9 NetflowOptionsRecordOptionV9 "
        "NetflowOptionsRecordScopeV9 NetflowRecordV1 NetflowRecordV5 NetflowTemplateFieldV9 "
        "NetflowTemplateV9 GetNetflowRecordV9 ipfix_defragment netflowv9_defragment"
    ),
    "paquet.layers.netflow_fields": (
        "NetflowRecordV9 NETFLOW_V9_FIELD_TYPES NetflowV910TemplateFieldTypes "
        "netflow_record_class"
    ),
    "paquet.layers.ntp": (
        "FixedPointField NTP NTPAuthenticator NTPClockStatusPacket NTPControl "
        "NTPControlStatusField NTPErrorStatusPacket NTPExtPacketListField NTPExtension "
        "NTPExtensions NTPHeader NTPPeerStatusDataPacket NTPPeerStatusPacket "
        "NTPSystemStatusPacket TimeStampField"
    ),
    "paquet.layers.ntp_private": (
        "NTPConfPeer NTPConfRestrict NTPConfTrap NTPConfUnpeer NTPInfoAuth NTPInfoControl "
        "NTPInfoIOStats NTPInfoIfStatsIPv4 NTPInfoIfStatsIPv6 NTPInfoKernel NTPInfoLoop "
        "NTPInfoMemStats NTPInfoMonitor1 NTPInfoPeer NTPInfoPeerList NTPInfoPeerStats "
        "NTPInfoPeerSummary NTPInfoSys NTPInfoSysStats NTPInfoTimerStats NTPPrivate "
        "NTPPrivatePktTail NTPPrivateReqPacket"
    ),
    "paquet.layers.pflog": "PFLog",
    "paquet.layers.ppi": "PPI PPI_Element PPI_Hdr",
    "paquet.layers.ppp": "DIR_PPP HDLC PPP PPPoE PPPoED PPPoED_Tags PPPoETag PPP_PROTOCOLS",
    "paquet.layers.ppp_cp": (
        "PPP_CHAP PPP_CHAP_ChallengeResponse PPP_ECP PPP_ECP_Option PPP_ECP_Option_OUI PPP_IPCP "
        "PPP_IPCP_Option PPP_IPCP_Option_DNS1 PPP_IPCP_Option_DNS2 PPP_IPCP_Option_IPAddress "
        "PPP_IPCP_Option_NBNS1 PPP_IPCP_Option_NBNS2 PPP_LCP PPP_LCP_ACCM_Option "
        "PPP_LCP_Auth_Protocol_Option PPP_LCP_Callback_Option PPP_LCP_Code_Reject "
        "PPP_LCP_Configure PPP_LCP_Discard_Request PPP_LCP_Echo PPP_LCP_MRU_Option "
        "PPP_LCP_Magic_Number_Option PPP_LCP_Option PPP_LCP_Protocol_Reject "
        "PPP_LCP_Quality_Protocol_Option PPP_LCP_Terminate PPP_PAP PPP_PAP_Request "
        "PPP_PAP_Response"
    ),
    "paquet.layers.pptp": (
        "PPTP PPTPCallClearRequest PPTPCallDisconnectNotify PPTPEchoReply PPTPEchoRequest "
        "PPTPIncomingCallConnected PPTPIncomingCallReply PPTPIncomingCallRequest "
        "PPTPOutgoingCallReply PPTPOutgoingCallRequest PPTPSetLinkInfo "
        "PPTPStartControlConnectionReply PPTPStartControlConnectionRequest "
        "PPTPStopControlConnectionReply PPTPStopControlConnectionRequest PPTPWANErrorNotify"
    ),
    "paquet.layers.radiotap": "PrismHeader RadioTap RadioTapExtendedPresenceMask RadioTapTLV",
    "paquet.layers.radius": "Radius",
    "paquet.layers.radius_attributes": (
        "MS_CHAP2_Response MS_CHAP2_Success MS_CHAP_Domain MS_CHAP_Error RadiusAttr_ARAP_Security "
        "RadiusAttr_Acct_Authentic RadiusAttr_Acct_Delay_Time RadiusAttr_Acct_Input_Gigawords "
        "RadiusAttr_Acct_Input_Octets RadiusAttr_Acct_Input_Packets "
        "RadiusAttr_Acct_Interim_Interval RadiusAttr_Acct_Link_Count "
        "RadiusAttr_Acct_Output_Gigawords RadiusAttr_Acct_Output_Octets "
        "RadiusAttr_Acct_Output_Packets RadiusAttr_Acct_Session_Time RadiusAttr_Acct_Status_Type "
        "RadiusAttr_Acct_Terminate_Cause RadiusAttr_Acct_Tunnel_Packets_Lost "
        "RadiusAttr_EAP_Message RadiusAttr_Egress_VLANID RadiusAttr_Event_Timestamp "
        "RadiusAttr_Framed_AppleTalk_Link RadiusAttr_Framed_AppleTalk_Network "
        "RadiusAttr_Framed_IPX_Network RadiusAttr_Framed_IP_Address RadiusAttr_Framed_IP_Netmask "
        "RadiusAttr_Framed_MTU RadiusAttr_Framed_Protocol RadiusAttr_Idle_Timeout "
        "RadiusAttr_Login_IP_Host RadiusAttr_Login_TCP_Port RadiusAttr_Management_Privilege_Level "
        "RadiusAttr_Message_Authenticator RadiusAttr_Mobility_Domain_Id RadiusAttr_NAS_IP_Address "
        "RadiusAttr_NAS_Port RadiusAttr_NAS_Port_Type RadiusAttr_PMIP6_Home_DHCP4_Server_Address "
        "RadiusAttr_PMIP6_Home_IPv4_Gateway RadiusAttr_PMIP6_Home_LMA_IPv4_Address "
        "RadiusAttr_PMIP6_Visited_DHCP4_Server_Address RadiusAttr_PMIP6_Visited_IPv4_Gateway "
        "RadiusAttr_PMIP6_Visited_LMA_IPv4_Address RadiusAttr_Password_Retry "
        "RadiusAttr_Port_Limit RadiusAttr_Preauth_Timeout RadiusAttr_Service_Type "
        "RadiusAttr_Session_Timeout RadiusAttr_State RadiusAttr_Tunnel_Preference "
        "RadiusAttr_User_Name RadiusAttr_User_Password RadiusAttr_Vendor_Specific "
        "RadiusAttr_WLAN_AKM_Suite RadiusAttr_WLAN_Group_Cipher RadiusAttr_WLAN_Group_Mgmt_Cipher "
        "RadiusAttr_WLAN_Pairwise_Cipher RadiusAttr_WLAN_RF_Band RadiusAttr_WLAN_Reason_Code "
        "RadiusAttr_WLAN_Venue_Info RadiusAttribute prepare_packed_data"
    ),
    "paquet.layers.rip": "RIP RIPEntry RIPAuth",
    "paquet.layers.ripng": "RIPng RIPngEntry",
    "paquet.layers.rtp": "RTP RTPExtension RTP_PAYLOAD_TYPES",
    "paquet.layers.sctp": (
        "SCTP SCTP_PAYLOAD_PROTOCOL_IDENTIFIERS SCTP_SERVICES GapAckField SCTPChunkAbort "
        "SCTPChunkAddressConf SCTPChunkAddressConfAck SCTPChunkAuthentication SCTPChunkCookieAck "
        "SCTPChunkCookieEcho SCTPChunkData SCTPChunkError SCTPChunkForwardTSN "
        "SCTPChunkHeartbeatAck SCTPChunkHeartbeatReq SCTPChunkIData SCTPChunkIForwardTSN "
        "SCTPChunkInit SCTPChunkInitAck SCTPChunkPad SCTPChunkReConfig SCTPChunkSACK "
        "SCTPChunkShutdown SCTPChunkShutdownAck SCTPChunkShutdownComplete SCTPerror crc32c"
    ),
    "paquet.layers.sctp_params": (
        "SCTP_CHUNK_PARAM_TYPES SCTP_CHUNK_TYPES SCTP_HMAC_TYPES ChunkParamField "
        "SCTPChunkParamAdaptationLayer SCTPChunkParamAddIPAddr SCTPChunkParamAddIncomingStreamReq "
        "SCTPChunkParamAddOutgoingStreamReq SCTPChunkParamChunkList "
        "SCTPChunkParamCookiePreservative SCTPChunkParamDelIPAddr SCTPChunkParamECNCapable "
        "SCTPChunkParamErrorIndication SCTPChunkParamFwdTSN SCTPChunkParamHeartbeatInfo "
        "SCTPChunkParamHostname SCTPChunkParamIPv4Addr SCTPChunkParamIPv6Addr "
        "SCTPChunkParamInSSNResetReq SCTPChunkParamOutSSNResetReq SCTPChunkParamRandom "
        "SCTPChunkParamReConfigRes SCTPChunkParamRequestedHMACFunctions "
        "SCTPChunkParamSSNTSNResetReq SCTPChunkParamSetPrimaryAddr SCTPChunkParamStateCookie "
        "SCTPChunkParamSuccessIndication SCTPChunkParamSupportedAddrTypes "
        "SCTPChunkParamSupportedExtensions SCTPChunkParamUnrocognizedParam SCTPForwardSkip "
        "SCTPIForwardSkip"
    ),
    "paquet.layers.skinny": "Skinny SKINNY_MESSAGES",
    "paquet.layers.snmp": (
        "SNMP ASN1_Class_SNMP SNMP_error SNMP_trap_types SNMPbulk SNMPget SNMPinform SNMPnext "
        "SNMPresponse SNMPset SNMPtrapv1 SNMPtrapv2 SNMPvarbind"
    ),
    "paquet.layers.stp": "STP BCDFloatField",
    "paquet.layers.tcp": "RandTCPOptions",
    "paquet.layers.tcp_auth": "TCPAOValue get_tcpao calc_tcp_md5_hash sign_tcp_md5",
    "paquet.layers.tftp": (
        "TFTP TFTP_ACK TFTP_DATA TFTP_ERROR TFTP_Error_Codes TFTP_OACK TFTP_Option TFTP_Options "
        "TFTP_RRQ TFTP_WRQ TFTP_operations"
    ),
    "paquet.layers.tls": "TLS TLS13 tlsSession TLSAlert TLSApplicationData TLSChangeCipherSpec",
    "paquet.layers.tls_fingerprint": "ja3 ja4 ja4_raw",
    "paquet.layers.vrrp": "VRRP VRRPv3",
    "paquet.manuf": "ManufDA load_manuf",
    "paquet.net.answering": "AnsweringMachine ARP_am ICMPEcho_am farpd icmpechod",
    "paquet.net.arptools": "arping ARPingResult arpcachepoison arp_mitm getmacbyip6 neighsol",
    "paquet.net.automaton": "Automaton ATMT",
    "paquet.net.bpf": "compile_filter",
    "paquet.net.bridge": "bridge_and_sniff",
    "paquet.net.conf": "conf",
    "paquet.net.dhcp": (
        "dhcp_discover dhcp_request dhcp_release dhcp_inform BOOTP_am DHCP_am bootpd dhcpd"
    ),
    "paquet.net.dhcp6_am": "DHCPv6_am dhcp6d",
    "paquet.net.dns_am": (
        "DNS_am dnsd mDNS_am mdnsd LLMNR_am llmnrd dyndns_add dyndns_del dnssd DNSSDResult"
    ),
    "paquet.net.dnsresolve": "dns_resolve",
    "paquet.net.fastsend": "sendpfast",
    "paquet.net.flood": "srflood sr1flood srpflood srp1flood",
    "paquet.net.follow": "follow_tcp_stream tcp_streams FollowedStream",
    "paquet.net.interfaces": (
        "get_if_list get_if_addr get_if_addr6 get_if_hwaddr get_if_raw_addr get_if_raw_addr6 "
        "get_if_raw_hwaddr get_working_if get_working_ifaces resolve_iface network_name "
        "dev_from_index dev_from_networkname show_interfaces read_routes read_routes6 "
        "in6_getifaddr NetworkInterface NetworkInterfaceDict InterfaceProvider"
    ),
    "paquet.net.nbns_am": "NBNS_am nbnsd",
    "paquet.net.neighbour": "getmacbyip",
    "paquet.net.netflow_session": "NetflowSession",
    "paquet.net.objectpipe": "ObjectPipe",
    "paquet.net.p0f": "p0f_impersonate TCP_Signature",
    "paquet.net.pipetool": (
        "AutoSource CLIFeeder CLIHighFeeder ConsoleSink DownDrain Drain PeriodicSource Pipe "
        "PipeEngine QueueSink RawConsoleSink Sink Source TermSink ThreadGenSource TransformDrain "
        "TriggerSink UpDrain"
    ),
    "paquet.net.radius_am": "Radius_am radiusd",
    "paquet.net.resolver": "SystemResolver",
    "paquet.net.scapypipes": (
        "FDSourceSink Inject3Sink InjectSink RdpcapSource SniffSource TCPConnectPipe "
        "TCPListenPipe TriggerDrain TriggeredMessage TriggeredQueueingValve TriggeredSwitch "
        "TriggeredValve UDPClientPipe UDPDrain UDPServerPipe WiresharkSink WrpcapSink"
    ),
    "paquet.net.sendrecv": (
        "send sendp sr sr1 srp srp1 srloop srploop sndrcv asr asr1 asrp asrp1 SndRcvList "
        "QueryAnswer"
    ),
    "paquet.net.sessions": "DefaultSession IPSession TCPSession StringBuffer",
    "paquet.net.settings": "Route Route6",
    "paquet.net.sniff": "sniff AsyncSniffer asniff",
    "paquet.net.snmptools": "snmpget snmpwalk",
    "paquet.net.sockets": (
        "SuperSocket L3RawSocket L3RawSocket6 L3PacketSocket L2Socket L2ListenSocket StreamSocket"
    ),
    "paquet.net.ssl_stream": "SSLStreamSocket StreamSocketPeekless",
    "paquet.net.tcp_client": "TCP_client",
    "paquet.net.tftp_atmt": "TFTP_read TFTP_write TFTP_RRQ_server TFTP_WRQ_server",
    "paquet.net.traceroute": "traceroute traceroute6 TracerouteResult TracerouteResult6",
    "paquet.net.tuntap": "TunTapInterface LinuxTunPacketInfo",
    "paquet.net.veth": "VEthPair",
    "paquet.numbers": (
        "DLT_NULL DLT_EN10MB DLT_EN3MB DLT_AX25 DLT_PRONET DLT_CHAOS DLT_IEEE802 DLT_ARCNET "
        "DLT_SLIP DLT_PPP DLT_FDDI DLT_RAW DLT_RAW_ALT DLT_SLIP_BSDOS DLT_PPP_BSDOS DLT_PFSYNC "
        "DLT_ATM_CLIP DLT_PPP_SERIAL DLT_PPP_ETHER DLT_SYMANTEC_FIREWALL DLT_C_HDLC "
        "DLT_IEEE802_11 DLT_FRELAY DLT_LOOP DLT_ENC DLT_LINUX_SLL DLT_LTALK DLT_PFLOG "
        "DLT_PRISM_HEADER DLT_AIRONET_HEADER DLT_HHDLC DLT_IP_OVER_FC DLT_IEEE802_11_RADIO "
        "DLT_ARCNET_LINUX DLT_LINUX_IRDA DLT_IEEE802_11_RADIO_AVS DLT_LINUX_LAPD "
        "DLT_BLUETOOTH_HCI_H4 DLT_USB_LINUX DLT_PPI DLT_IEEE802_15_4_WITHFCS "
        "DLT_BLUETOOTH_HCI_H4_WITH_PHDR DLT_AX25_KISS DLT_PPP_WITH_DIR DLT_FC_2 DLT_CAN_SOCKETCAN "
        "DLT_IPV4 DLT_IPV6 DLT_IEEE802_15_4_NOFCS DLT_USBPCAP DLT_BLUETOOTH_LE_LL DLT_NETLINK "
        "DLT_BLUETOOTH_LINUX_MONITOR DLT_BLUETOOTH_LE_LL_WITH_PHDR DLT_USB_DARWIN DLT_VSOCK "
        "DLT_NORDIC_BLE DLT_ETHERNET_MPACKET DLT_LINUX_SLL2 All_DHCP_Relay_Agents_and_Servers "
        "All_DHCP_Servers IANA_ENTERPRISE_NUMBERS ETHER_ANY ETHER_BROADCAST ETH_P_ALL PPI_TYPES"
    ),
    "paquet.packet": (
        "Packet bind_layers bind_bottom_up bind_top_down split_layers raw hexdump hexstr ls"
    ),
    "paquet.packet.addrfields": "ScopedIP IPField MACField",
    "paquet.packet.base": "NoPayload",
    "paquet.packet.dump": "hexdiff sane rfc lsc",
    "paquet.packet.enumfields": (
        "ObservableDict EnumField ByteEnumField XByteEnumField ShortEnumField XShortEnumField "
        "IntEnumField XIntEnumField LongEnumField SignedByteEnumField SignedShortEnumField "
        "SignedIntEnumField LEShortEnumField XLEShortEnumField LEIntEnumField XLEIntEnumField "
        "LELongEnumField ThreeBytesEnumField LE3BytesEnumField XLE3BytesEnumField CharEnumField "
        "MultiEnumField BitEnumField XBitEnumField"
    ),
    "paquet.packet.fields": (
        "Field ByteField XByteField ShortField XShortField IntField XIntField LongField "
        "XLongField BitField XBitField BitLenField FieldAttributeException "
        "FieldValueRangeException"
    ),
    "paquet.packet.flagfields": "FlagsField FlagValue MultiFlagsField MultiFlagsEntry",
    "paquet.packet.intfields": (
        "SignedByteField SignedShortField SignedIntField SignedLongField LEShortField "
        "LESignedShortField LEIntField LESignedIntField LELongField LESignedLongField "
        "XLEShortField XLEIntField XLELongField ThreeBytesField X3BytesField LEThreeBytesField "
        "XLE3BytesField NBytesField OUIField XNBytesField"
    ),
    "paquet.packet.strfields": (
        "StrFieldUtf16 StrFixedLenEnumField StrLenField StrLenFieldUtf16 StrNullField "
        "StrNullFieldUtf16 StrStopField XStrField XStrFixedLenField XStrLenField StrField "
        "StrFixedLenField"
    ),
    "paquet.packet.structfields": (
        "ActionField BitFieldLenField ConditionalField FieldLenField FieldListField LenField "
        "MaximumItemsCount MayEnd PacketField PacketLenField PacketListField PadField "
        "ReversePadField TrailerField MultipleTypeField FCSField LEFieldLenField"
    ),
    "paquet.packet.valuefields": (
        "BitExtendedField DestIP6Field DestMACField IEEEDoubleField IEEEFloatField IP6Field "
        "LEMACField LSBExtendedField MSBExtendedField ScalingField SourceIP6Field SourceIPField "
        "SourceMACField UTCTimeField UUIDField YesNoByteField"
    ),
    "paquet.pcap": "rdpcap wrpcap open_capture PcapReader PcapWriter RawPacket PcapNgReader",
    "paquet.pcapng": "wrpcapng PcapNgWriter",
    "paquet.pcaptools": "tcpdump tdecode wireshark",
    "paquet.plan": "vlsm summarize",
    "paquet.plist": "PacketList",
    "paquet.probe.discover": "discover DiscoverResult",
    "paquet.probe.ping": "ping PingResult",
    "paquet.probe.scan": "scan ScanResult",
    "paquet.probe.trace": "trace TraceResult",
    "paquet.rawpcap": "RawPcapReader RawPcapNgReader RawPcapWriter RawPcapNgWriter MTU",
    "paquet.services": "load_services",
    "paquet.tables": (
        "make_table make_lined_table make_tex_table pretty_list do_graph get_terminal_width"
    ),
    "paquet.themes": (
        "ColorTheme NoTheme AnsiColorTheme BlackAndWhite DefaultTheme BrightTheme RastaTheme "
        "ColorOnBlackTheme FormatTheme LatexTheme LatexTheme2 HTMLTheme HTMLTheme2 Color"
    ),
    "paquet.utils": (
        "atol checksum chexdump in4_chksum in6_chksum itom linehexdump ltoa mac2str str2mac "
        "valid_ip valid_ip6 import_hexcap bytes_encode bytes_hex hex_bytes plain_str orb chb lhex "
        "repr_hex tex_escape randstring zerofree_randstring strxor stror strand strrot colgen "
        "incremental_label fletcher16_checksum fletcher16_checkbytes valid_mac in4_cidr2mask "
        "in4_isincluded in4_ismaddr in4_ismlladdr in4_ismgladdr in4_ismlsaddr "
        "in4_isaddrllallnodes in4_getnsmac get_temp_file get_temp_dir ContextManagerCaptureOutput "
        "load_layer load_contrib load_module scapy_delete_temp_files"
    ),
    "paquet.utils6": (
        "IPV6_ADDR_6TO4 IPV6_ADDR_CAST_MASK IPV6_ADDR_GLOBAL IPV6_ADDR_LINKLOCAL "
        "IPV6_ADDR_LOOPBACK IPV6_ADDR_MULTICAST IPV6_ADDR_SCOPE_MASK IPV6_ADDR_SITELOCAL "
        "IPV6_ADDR_UNICAST IPV6_ADDR_UNSPECIFIED in6_6to4ExtractAddr in6_addrtomac in6_ctop "
        "in6_get6to4Prefix in6_getAddrType in6_getRandomizedIfaceId in6_getha in6_ptoc "
        "TEREDO_PREFIX in6_and in6_cidr2mask in6_getLinkScopedMcastAddr in6_getLocalUniquePrefix "
        "in6_get_common_plen in6_getnsma in6_getnsmac in6_getscope in6_ifaceidtomac "
        "in6_isaddr6to4 in6_isaddrTeredo in6_isaddrllallnodes in6_isaddrllallservers "
        "in6_isanycast in6_isdocaddr in6_iseui64 in6_isgladdr in6_isincluded in6_islladdr "
        "in6_isllsnmaddr in6_ismaddr in6_ismgladdr in6_ismlladdr in6_ismnladdr in6_ismsladdr "
        "in6_issladdr in6_isuladdr in6_isvalid in6_mactoifaceid in6_mask2cidr in6_or in6_ptop "
        "in6_xor teredoAddrExtractInfo construct_source_candidate_set"
    ),
    "paquet.volatile": (
        "AutoTime CorruptedBits CorruptedBytes DelayedEval GeneralizedTime IncrementalValue "
        "IntAutoTime RandBin RandBinFloat RandByte RandChoice RandEnum RandEnumByte RandEnumInt "
        "RandEnumKeys RandEnumLong RandEnumSByte RandEnumSInt RandEnumSLong RandEnumSShort "
        "RandEnumShort RandField RandFloat RandIP RandIP6 RandInt RandLong RandMAC RandNum "
        "RandNumExpo RandNumGamma RandNumGauss RandOID RandPool RandSByte RandSInt RandSLong "
        "RandSShort RandShort RandString RandTermString RandomEnumeration VolatileValue ZuluTime "
        "corrupt_bits corrupt_bytes RandUUID RandRegExp RandSingByte RandSingInt RandSingLong "
        "RandSingNum RandSingSByte RandSingShort RandSingSInt RandSingSLong RandSingSShort "
        "RandSingString RandSingularity"
    ),
    "paquet.volatile.fuzzing": "fuzz randval",
    "random": "choice",
    "socket": "inet_aton inet_ntoa inet_pton inet_ntop",
    "threading": "Thread",
    "time": "gmtime strftime",
    "zlib": "crc32",
}

#: Public name -> the module that defines it.
EXPORTS: dict[str, str] = {
    name: module for module, names in _NAMES_BY_MODULE.items() for name in names.split()
}

#: Standard library modules ``from paquet import *`` gives whole, as ``from scapy.all import *``
#: does (the everyday part of Scapy's set: see :mod:`paquet`'s docstring).
STDLIB_MODULES: tuple[str, ...] = (
    "os", "sys", "time", "random", "struct", "socket", "select", "re", "math", "json",
    "threading", "subprocess", "itertools", "collections", "functools", "copy", "string",
    "errno", "hashlib", "zlib", "gzip", "pickle", "queue", "tempfile", "shutil", "pathlib",
    "io", "logging", "uuid", "operator", "traceback", "warnings",
)

#: What ``from paquet import *`` gives.
ALL: list[str] = sorted([*EXPORTS, *STDLIB_MODULES])


def attach(namespace: dict[str, object]) -> None:
    """Give :mod:`paquet`'s ``namespace`` its ``__all__``, ``STDLIB_MODULES`` and the lazy
    ``__getattr__``/``__dir__`` that import each public name on first use."""
    getattr_, dir_ = lazy_names(
        "paquet", EXPORTS, namespace, modules={name: name for name in STDLIB_MODULES}
    )
    namespace.update(__all__=ALL, STDLIB_MODULES=STDLIB_MODULES, __getattr__=getattr_,
                     __dir__=dir_)
